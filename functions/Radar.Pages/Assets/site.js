// Progressive enhancement only: every page works without this module.

/** "Link kopieren" next to "Link per E-Mail senden", where the Clipboard API is there. */
function addCopyLink() {
  const share = document.querySelector("ul.share");
  const canonical = document.querySelector('link[rel="canonical"]');
  if (!share || !canonical || !navigator.clipboard) {
    return;
  }

  const item = document.createElement("li");
  const button = document.createElement("button");
  button.type = "button";
  button.className = "button";
  button.textContent = "Link kopieren";
  const status = document.createElement("span");
  status.setAttribute("role", "status");
  status.className = "copy-status";
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(canonical.href);
      status.textContent = " Link kopiert.";
    } catch {
      status.textContent = " Kopieren ist hier nicht möglich.";
    }
  });
  item.append(button, status);
  share.append(item);
}

addCopyLink();

/**
 * Instant search: the site's search box becomes a combobox (WAI-ARIA 1.2 combobox pattern with a
 * listbox popup) that asks /api/suggest as the reader types, debounced. Arrow keys move through
 * the suggestions, Enter opens the chosen one, Escape closes the list. Without this module the
 * box is a plain GET form to /suche.
 */
function addSuggestions() {
  const input = document.querySelector("#suche-begriff");
  const form = input?.form;
  if (!input || !form || !window.fetch) {
    return;
  }

  const list = document.createElement("ul");
  list.id = "suche-vorschlaege";
  list.className = "suggestions";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Vorschläge");
  list.hidden = true;
  const status = document.createElement("span");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  form.append(list, status);

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-expanded", "false");

  const kinds = { tag: "Schlagwort", title: "Seite", term: "Suchbegriff" };
  let items = [];
  let active = -1;
  let timer;
  let pending;

  const close = () => {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  };

  const highlight = (index) => {
    active = index;
    [...list.children].forEach((option, i) => option.setAttribute("aria-selected", String(i === index)));
    if (index >= 0) {
      input.setAttribute("aria-activedescendant", list.children[index].id);
      list.children[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  };

  const choose = (item) => {
    if (item.url) {
      window.location.assign(item.url);
    } else if (item.kind === "tag") {
      window.location.assign("/suche?tag=" + encodeURIComponent(item.text));
    } else {
      input.value = item.text;
      form.submit();
    }
  };

  const show = (suggestions) => {
    items = suggestions;
    list.replaceChildren(...items.map((item, i) => {
      const option = document.createElement("li");
      option.id = `suche-vorschlag-${i}`;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.textContent = item.text;
      const kind = document.createElement("span");
      kind.className = "suggestions__kind";
      kind.textContent = kinds[item.kind] ?? "";
      option.append(kind);
      // mousedown, not click: the input must not lose focus first.
      option.addEventListener("mousedown", (event) => {
        event.preventDefault();
        choose(item);
      });
      return option;
    }));
    active = -1;
    if (items.length > 0) {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      status.textContent = `${items.length} Vorschläge, mit Pfeiltasten auswählen.`;
    } else {
      close();
      status.textContent = "";
    }
  };

  const ask = async () => {
    const typed = input.value.trim();
    pending?.abort();
    if (typed.length < 2) {
      show([]);
      return;
    }

    pending = new AbortController();
    try {
      // A search box within one radar (its hidden "radar" field) completes from that radar only.
      const radar = form.elements.namedItem("radar")?.value;
      const url = "/api/suggest?q=" + encodeURIComponent(typed) + (radar ? "&radar=" + encodeURIComponent(radar) : "");
      const response = await fetch(url, { signal: pending.signal });
      if (response.ok) {
        const answer = await response.json();
        if (input.value.trim() === typed) {
          show((answer.suggestions ?? []).slice(0, 8));
        }
      }
    } catch {
      // Aborted by newer typing, or offline: the plain search still works.
    }
  };

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(ask, 200);
  });

  input.addEventListener("keydown", (event) => {
    const open = !list.hidden && items.length > 0;
    switch (event.key) {
      case "ArrowDown":
        if (open) {
          highlight((active + 1) % items.length);
        } else {
          ask();
        }
        event.preventDefault();
        break;
      case "ArrowUp":
        if (open) {
          highlight(active <= 0 ? items.length - 1 : active - 1);
          event.preventDefault();
        }
        break;
      case "Enter":
        if (open && active >= 0) {
          event.preventDefault();
          choose(items[active]);
        }
        break;
      case "Escape":
        if (open) {
          event.preventDefault();
          close();
        }
        break;
      default:
        break;
    }
  });

  input.addEventListener("blur", close);
}

addSuggestions();
