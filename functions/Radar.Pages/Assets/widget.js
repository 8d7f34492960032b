/*
 * Radar's widget for newsrooms. Put
 *   <script src="https://<radar>/api/widget.js" data-q="wlan" data-area="infrastruktur" data-limit="5" async></script>
 * where the list should appear. It renders the latest matching changes and news as a
 * <radar-widget> element with its own Shadow DOM (the page's styles do not reach in, ours do not
 * leak out), themable with CSS custom properties (--radar-font, --radar-text, --radar-muted,
 * --radar-link, --radar-background, --radar-border, --radar-radius), dates in German, every
 * entry linking back to Radar. Text goes in as text (textContent), never as markup.
 *
 * With data-radar-resize (what /api/oembed's snippet uses) it renders nothing and only fits
 * Radar iframes (/embed) on the page to the height they report.
 */
(() => {
  "use strict";

  const script = document.currentScript;
  if (!script || !script.src) {
    return;
  }

  const origin = new URL(script.src).origin;
  const filters = ["q", "type", "area", "status", "department", "tag", "radar", "measure"];
  const dateFormat = new Intl.DateTimeFormat("de-DE", { day: "numeric", month: "long", year: "numeric", timeZone: "Europe/Berlin" });

  // Iframes of /embed report their height; fit the one that sent it. Installed once per page.
  const listeners = (window.__radarWidget ??= { resizing: new Set() });
  if (!listeners.resizing.has(origin)) {
    listeners.resizing.add(origin);
    window.addEventListener("message", (event) => {
      if (event.origin !== origin || event.data?.type !== "radar:embed-height" || !Number.isFinite(event.data.height)) {
        return;
      }

      for (const frame of document.querySelectorAll("iframe")) {
        if (frame.contentWindow === event.source) {
          frame.style.height = `${Math.max(50, Math.min(5000, Math.ceil(event.data.height)))}px`;
        }
      }
    });
  }

  if (script.hasAttribute("data-radar-resize")) {
    return;
  }

  const styles = `
    :host {
      display: block;
      font-family: var(--radar-font, system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif);
      color: var(--radar-text, #1b1f24);
      background: var(--radar-background, #fff);
      border: 1px solid var(--radar-border, #c3ccd5);
      border-radius: var(--radar-radius, 6px);
      padding: 0.75rem 1rem;
      line-height: 1.5;
    }
    h2 { font-size: 1.1em; margin: 0 0 0.5rem; }
    ol { list-style: none; margin: 0; padding: 0; }
    li { padding: 0.4rem 0; border-bottom: 1px solid var(--radar-border, #c3ccd5); }
    .meta { display: block; font-size: 0.875em; color: var(--radar-muted, #4a5561); }
    a { color: var(--radar-link, #0b4f8a); overflow-wrap: anywhere; }
    a:focus-visible { outline: 3px solid currentColor; outline-offset: 2px; }
    .more { margin: 0.5rem 0 0; font-weight: 600; }
  `;

  class RadarWidget extends HTMLElement {
    connectedCallback() {
      if (this.shadowRoot) {
        return;
      }

      const root = this.attachShadow({ mode: "open" });
      const style = document.createElement("style");
      style.textContent = styles;
      const section = document.createElement("section");
      const heading = document.createElement("h2");
      heading.textContent = "Digitalisierungsradar";
      const body = document.createElement("p");
      body.textContent = "Wird geladen …";
      body.setAttribute("role", "status");
      section.append(heading, body);
      root.append(style, section);
      this.load(section, heading, body);
    }

    async load(section, heading, body) {
      const site = this.getAttribute("data-origin");
      const query = new URLSearchParams();
      for (const name of filters) {
        const value = this.getAttribute(`data-${name}`);
        if (value) {
          query.set(name, value);
        }
      }

      const limit = Number.parseInt(this.getAttribute("data-limit") ?? "5", 10);
      query.set("limit", String(Number.isFinite(limit) ? Math.min(Math.max(limit, 1), 20) : 5));
      const more = document.createElement("p");
      more.className = "more";
      const moreLink = document.createElement("a");
      moreLink.textContent = "Mehr im Digitalisierungsradar";
      moreLink.href = moreUrl(site, query);
      more.append(moreLink);
      try {
        const response = await fetch(`${site}/api/changes?${query}`, { mode: "cors", credentials: "omit" });
        if (!response.ok) {
          throw new Error(String(response.status));
        }

        const answer = await response.json();
        heading.textContent = answer.title || "Digitalisierungsradar";
        section.setAttribute("aria-label", heading.textContent);
        const items = answer.items ?? [];
        if (items.length === 0) {
          body.textContent = "Noch keine Änderungen oder Nachrichten dazu.";
          section.append(more);
          return;
        }

        const list = document.createElement("ol");
        for (const item of items) {
          const entry = document.createElement("li");
          const meta = document.createElement("span");
          meta.className = "meta";
          const time = document.createElement("time");
          time.dateTime = item.date;
          time.textContent = dateFormat.format(new Date(item.date));
          meta.append(time, ` · ${item.type === "news" ? "Nachricht" : item.type === "edition" ? "Bericht" : "Änderung"}`);
          const link = document.createElement("a");
          link.href = safeUrl(item.url, site);
          link.textContent = item.title;
          link.target = "_blank";
          link.rel = "noopener";
          entry.append(meta, link);
          list.append(entry);
        }

        body.replaceWith(list);
        section.append(more);
      } catch {
        body.textContent = "Das Digitalisierungsradar ist gerade nicht erreichbar.";
        section.append(more);
      }
    }
  }

  /** Only http(s) links, made absolute against Radar: a feed's URL never becomes script. */
  function safeUrl(url, site) {
    try {
      const absolute = new URL(url, site);
      return absolute.protocol === "https:" || absolute.protocol === "http:" ? absolute.href : site;
    } catch {
      return site;
    }
  }

  function moreUrl(site, query) {
    const measure = query.get("measure");
    if (measure) {
      const radar = query.get("radar");
      return `${site}/massnahmen/${encodeURIComponent(measure)}${radar ? `?radar=${encodeURIComponent(radar)}` : ""}`;
    }

    const search = new URLSearchParams(query);
    search.delete("limit");
    return search.size > 0 ? `${site}/suche?${search}` : `${site}/`;
  }

  if (!customElements.get("radar-widget")) {
    customElements.define("radar-widget", RadarWidget);
  }

  const widget = document.createElement("radar-widget");
  widget.setAttribute("data-origin", origin);
  for (const name of [...filters, "limit"]) {
    const value = script.getAttribute(`data-${name}`);
    if (value) {
      widget.setAttribute(`data-${name}`, value);
    }
  }

  script.after(widget);
})();
