// The plan editor's staffing grid, enhanced where JavaScript runs: add rows, copy and delete a row, paste a block of
// cells from a spreadsheet, move between cells with the arrow keys, and fill the demand from the reference demand,
// all without reloading the page. Without JavaScript the same buttons post the form and the server does the same
// (planning/forms/grid.py). The server checks everything on save, by the same rules as typing.

const PREFIX = "staffing";
const ROW_NAME = new RegExp(`^(id_)?${PREFIX}-(\\d+|__prefix__)-`);

const grid = document.querySelector("[data-grid]");

function setUp() {
  const body = grid.querySelector("[data-grid-body]");
  const template = document.getElementById("staffing-row-template");
  const status = document.querySelector("[data-grid-status]");
  const total = document.getElementById(`id_${PREFIX}-TOTAL_FORMS`);
  const capacity = Number(grid.dataset.gridCapacity);
  const settings = JSON.parse(document.getElementById("staffing-grid-columns").textContent);
  const columns = settings.columns;

  const rows = () => Array.from(body.querySelectorAll("[data-grid-row]"));
  const say = (message) => {
    status.textContent = message;
  };
  const field = (row, name) => row.querySelector(`[data-column="${name}"] input, [data-column="${name}"] select`);

  // Row i's fields are named staffing-i-<field>: after rows are added, copied or deleted, every row is renumbered
  // so that Django's formset reads them in order, and each label names its line again.
  function renumber() {
    rows().forEach((row, index) => {
      const number = index + 1;
      for (const element of row.querySelectorAll("[name], [id], label[for], [aria-describedby]")) {
        for (const attribute of ["name", "id", "for", "aria-describedby"]) {
          const value = element.getAttribute(attribute);
          if (value) {
            element.setAttribute(
              attribute,
              value
                .split(" ")
                .map((part) => part.replace(ROW_NAME, (match, id) => `${id || ""}${PREFIX}-${index}-`))
                .join(" "),
            );
          }
        }
      }
      row.querySelector("[data-grid-line]").textContent = `Line ${number}`;
      for (const label of row.querySelectorAll("label[data-grid-label]")) {
        label.textContent = `${label.dataset.gridLabel}, line ${number}`;
      }
      for (const text of row.querySelectorAll("[data-grid-action-line]")) {
        text.textContent = ` line ${number}`;
      }
      for (const button of row.querySelectorAll("[data-grid-copy], [data-grid-delete]")) {
        button.value = String(index);
      }
    });
    total.value = String(rows().length);
  }

  function newRow() {
    return template.content.querySelector("[data-grid-row]").cloneNode(true);
  }

  function addRows(count, after = null) {
    const room = capacity - rows().length;
    const adding = Math.max(0, Math.min(count, room));
    const added = [];
    let anchor = after;
    for (let index = 0; index < adding; index += 1) {
      const row = newRow();
      if (anchor) {
        anchor.after(row);
      } else {
        body.append(row);
      }
      anchor = row;
      added.push(row);
    }
    renumber();
    return { added, refused: count - adding };
  }

  function copyValues(from, to) {
    for (const name of columns) {
      const source = field(from, name);
      const target = field(to, name);
      if (source && target) {
        target.value = source.value;
      }
    }
  }

  grid.addEventListener("click", (event) => {
    const copy = event.target.closest("[data-grid-copy]");
    const remove = event.target.closest("[data-grid-delete]");
    if (copy) {
      event.preventDefault();
      const row = copy.closest("[data-grid-row]");
      const { added } = addRows(1, row);
      if (added.length === 0) {
        say(`This page holds at most ${capacity} lines.`);
        return;
      }
      copyValues(row, added[0]);
      field(added[0], "role").focus();
      say(`Line ${rows().indexOf(row) + 1} copied as line ${rows().indexOf(added[0]) + 1}.`);
    } else if (remove) {
      event.preventDefault();
      const row = remove.closest("[data-grid-row]");
      const number = rows().indexOf(row) + 1;
      const next = row.nextElementSibling || row.previousElementSibling;
      row.remove();
      renumber();
      (next ? field(next, "role") : grid).focus();
      say(`Line ${number} deleted. The lines after it have moved up.`);
    }
  });

  const addButton = document.querySelector("[data-grid-add]");
  const addCount = document.getElementById("id_add_count");
  addButton?.addEventListener("click", (event) => {
    const text = addCount.value.trim();
    const count = text === "" ? 3 : Number(text);
    if (!Number.isInteger(count) || count < 1 || count > 100) {
      return; // the server says what is wrong with the number, next to the box
    }
    event.preventDefault();
    const { added, refused } = addRows(count);
    if (added.length) {
      field(added[0], "role").focus();
    }
    say(
      `${added.length} ${added.length === 1 ? "row" : "rows"} added. There are now ${rows().length} lines.` +
        (refused ? ` This page holds at most ${capacity} lines.` : ""),
    );
  });

  // --- Paste a block of cells -------------------------------------------------------------------------------

  const byText = (select, text) => {
    const wanted = text.trim().toLowerCase();
    const options = Array.from(select.options);
    return (
      options.find((option) => option.value.toLowerCase() === wanted) ||
      options.find((option) => option.text.trim().toLowerCase() === wanted) ||
      options.find((option) => option.value && option.text.trim().toLowerCase().startsWith(wanted))
    );
  };

  function setCell(row, name, text) {
    const target = field(row, name);
    if (!target) {
      return;
    }
    const value = text.trim();
    if (target.tagName !== "SELECT") {
      target.value = value;
      return;
    }
    let chosen = null;
    if (value === "") {
      chosen = target.options[0];
    } else if (name === "role" && settings.roles[value.toLowerCase()] !== undefined) {
      chosen = target.querySelector(`option[value="${settings.roles[value.toLowerCase()]}"]`);
    } else if (name === "band" && settings.bands[value.toLowerCase().replace(/^band\s*/, "")] !== undefined) {
      chosen = target.querySelector(`option[value="${settings.bands[value.toLowerCase().replace(/^band\s*/, "")]}"]`);
    } else if (name !== "role" && name !== "band") {
      chosen = byText(target, value);
    }
    if (!chosen) {
      // Kept as pasted, so nothing is lost: saving says what is wrong with it, on this cell.
      chosen = new Option(value, value);
      target.append(chosen);
      target.closest("td").classList.add("app-grid__cell--suspect");
    } else {
      target.closest("td").classList.remove("app-grid__cell--suspect");
    }
    target.value = chosen.value;
  }

  function parse(text) {
    const lines = text.replace(/\r\n?/g, "\n").replace(/\n$/, "").split("\n");
    return lines.map((line) => line.split("\t"));
  }

  grid.addEventListener("paste", (event) => {
    const cell = event.target.closest("td[data-column]");
    const text = event.clipboardData?.getData("text/plain") ?? "";
    if (!cell || (!/[\t\n]/.test(text.trim()) && event.target.tagName !== "SELECT")) {
      return; // one value into a text box: the browser pastes it
    }
    event.preventDefault();
    let block = parse(text);
    let names;
    const header = block[0].map((item) => item.trim().toLowerCase());
    if (header.includes("role") && header.some((item) => columns.includes(item) && item !== "role")) {
      names = header.map((item) => (columns.includes(item) ? item : null)); // the exported file's column names
      block = block.slice(1);
    } else {
      const start = columns.indexOf(cell.dataset.column);
      names = block[0].map((item, offset) => columns[start + offset] ?? null);
    }
    const startRow = rows().indexOf(cell.closest("[data-grid-row]"));
    const needed = startRow + block.length - rows().length;
    if (needed > 0 && addRows(needed).refused) {
      say(`This page holds at most ${capacity} lines: the rest of the pasted rows were left out.`);
    }
    const all = rows();
    block.forEach((values, offset) => {
      const row = all[startRow + offset];
      if (!row) {
        return;
      }
      values.forEach((value, index) => {
        if (names[index]) {
          setCell(row, names[index], value);
        }
      });
    });
    const suspect = grid.querySelectorAll(".app-grid__cell--suspect").length;
    say(
      `${block.length} ${block.length === 1 ? "row" : "rows"} pasted from line ${startRow + 1}.` +
        (suspect ? ` ${suspect} pasted ${suspect === 1 ? "value is" : "values are"} not in the lists: check the marked cells.` : "") +
        " Nothing is saved until you choose Save plan.",
    );
  });

  // --- Arrow keys -----------------------------------------------------------------------------------------------

  grid.addEventListener("keydown", (event) => {
    const target = event.target;
    const cell = target.closest("td[data-column]");
    if (!cell || event.shiftKey || event.metaKey || event.ctrlKey) {
      return;
    }
    const isText = target.tagName === "INPUT";
    const row = cell.closest("[data-grid-row]");
    let next = null;
    if (isText && (event.key === "ArrowUp" || event.key === "ArrowDown")) {
      const other = event.key === "ArrowUp" ? row.previousElementSibling : row.nextElementSibling;
      next = other && field(other, cell.dataset.column);
    } else if (isText && event.key === "ArrowLeft" && target.selectionStart === 0 && target.selectionEnd === 0) {
      next = cell.previousElementSibling?.querySelector("input, select");
    } else if (isText && event.key === "ArrowRight" && target.selectionStart === target.value.length) {
      next = cell.nextElementSibling?.querySelector("input, select");
    } else if (!isText && event.altKey && event.key.startsWith("Arrow")) {
      const step = { ArrowUp: -1, ArrowDown: 1 }[event.key];
      if (step) {
        const other = step < 0 ? row.previousElementSibling : row.nextElementSibling;
        next = other && field(other, cell.dataset.column);
      } else {
        const sibling = event.key === "ArrowLeft" ? cell.previousElementSibling : cell.nextElementSibling;
        next = sibling?.querySelector("input, select");
      }
    }
    if (next) {
      event.preventDefault();
      next.focus();
    }
  });
}

function setUpReferenceDemand() {
  const button = document.querySelector("[data-demand-reference]");
  button?.addEventListener("click", (event) => {
    const references = Array.from(document.querySelectorAll("[data-reference-tier]")).filter(
      (row) => row.dataset.referenceCaseload !== "",
    );
    if (references.length === 0) {
      return; // the server explains that the team's population is needed
    }
    event.preventDefault();
    for (const reference of references) {
      const row = document.querySelector(`[data-demand-tier="${reference.dataset.referenceTier}"]`);
      if (row) {
        row.querySelector("input[name$='-caseload']").value = reference.dataset.referenceCaseload;
        row.querySelector("input[name$='-hours_per_person_per_week']").value = reference.dataset.referenceHours;
      }
    }
    document.querySelector("[data-grid-status]").textContent =
      "Demand filled from the reference demand for this team's population. Nothing is saved until you choose Save plan.";
  });
}

if (grid) {
  setUp();
  setUpReferenceDemand();
}
