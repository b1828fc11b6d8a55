// Keyboard shortcuts that work on every page (issue 33.4): "/" goes to the header's
// search, unless one is typing somewhere already.
(function () {
  function typing(target) {
    if (!target || !(target instanceof Element)) return false;
    return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
  }
  document.addEventListener("keydown", (event) => {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target)) return;
    const field = document.getElementById("global-search");
    if (!field || field.offsetParent === null) return; // hidden (a phone's menu has its own)
    event.preventDefault();
    field.focus();
  });
})();
