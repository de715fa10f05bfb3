// Accessibility fix for Django's admin: the two-box selector (SelectFilter2.js) names its search icons with
// aria-label on a plain <span>, a role that cannot be named, so screen readers may skip the name. Once the page's
// load listeners have built the selectors, each such icon becomes an image with that name.
window.addEventListener("load", () => {
  setTimeout(() => {
    for (const icon of document.querySelectorAll("span.help-tooltip[aria-label]:not([role])")) {
      icon.setAttribute("role", "img");
    }
  });
});
