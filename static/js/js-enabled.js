// Marks the page as scripted so NHS.UK components enhance; an external file keeps the CSP free of inline script.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " nhsuk-frontend-supported" : "");
