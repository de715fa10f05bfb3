// The roles search on a narrow screen: the filters start folded away, so that the results come straight after
// the search box. On a wider screen (NHS.UK's tablet breakpoint, 641px) they are always shown, beside the results.
const filters = document.querySelector("details.app-filters");
const narrow = window.matchMedia("(max-width: 640px)");

if (filters) {
  filters.open = !narrow.matches;
  narrow.addEventListener("change", (event) => {
    filters.open = !event.matches;
  });
}
