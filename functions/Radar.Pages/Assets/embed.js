// The embed page tells the page that frames it how tall it is, whenever that changes, so the
// iframe can fit its content (widget.js listens on the newsroom's page). The height is not a
// secret: any parent may read it.

const post = () => {
  const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
  window.parent.postMessage({ type: "radar:embed-height", height }, "*");
};

if (window.parent !== window) {
  new ResizeObserver(post).observe(document.documentElement);
  window.addEventListener("load", post);
}
