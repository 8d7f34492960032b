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
