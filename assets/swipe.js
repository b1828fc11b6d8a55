// On a phone a board shows one column at a time (assets/phone.css): a horizontal swipe
// across the board goes to the next or previous step, as tapping its tab would. Mostly
// vertical movement is scrolling and is left alone; the tabs stay the keyboard's way.
(() => {
  const MIN_DISTANCE = 60; // px, and at least twice the vertical movement
  let start = null;
  document.addEventListener(
    "touchstart",
    (event) => {
      const board = event.target.closest && event.target.closest("#board");
      start = board && event.touches.length === 1
        ? { x: event.touches[0].clientX, y: event.touches[0].clientY }
        : null;
    },
    { passive: true },
  );
  document.addEventListener(
    "touchend",
    (event) => {
      if (!start || event.changedTouches.length !== 1) return;
      const dx = event.changedTouches[0].clientX - start.x;
      const dy = event.changedTouches[0].clientY - start.y;
      start = null;
      if (Math.abs(dx) < MIN_DISTANCE || Math.abs(dx) < 2 * Math.abs(dy)) return;
      const tabs = [...document.querySelectorAll('[role="tablist"][aria-label="Steps"] [role="tab"]')];
      const at = tabs.findIndex((tab) => tab.getAttribute("aria-selected") === "true");
      const next = tabs[at + (dx < 0 ? 1 : -1)];
      if (at >= 0 && next && next.offsetParent !== null) {
        next.click();
        next.scrollIntoView({ block: "nearest", inline: "nearest" });
      }
    },
    { passive: true },
  );
})();
