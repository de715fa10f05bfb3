// The NHS.UK frontend's version is written in one place, settings.NHSUK_FRONTEND_VERSION: templates/base.html
// gives this script the frontend's (hashed) URL in its data-nhsuk-frontend attribute.
const script = document.querySelector("script[data-nhsuk-frontend]");
const { initAll } = await import(script.dataset.nhsukFrontend);

initAll();
