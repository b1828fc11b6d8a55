// What the browser reports of its own waiting (issue 28), into the backend's
// wfm_frontend_duration_seconds: a board's time to show after the navigation that asked
// for it, and a dropped card's time until the server's answer is drawn. The server asks
// for a report (window.wfmTiming) with the event that drew the result; the figure is
// taken after the next frame, when the result is on screen.
(function () {
  let navigatedAt = 0; // performance.now() of the last in-app navigation (0: the page load)
  const original = history.pushState;
  history.pushState = function (...args) {
    navigatedAt = performance.now();
    return original.apply(this, args);
  };
  window.addEventListener("popstate", () => {
    navigatedAt = performance.now();
  });
  let droppedAt = null;
  document.addEventListener("drop", () => {
    droppedAt = performance.now();
  }, true);

  function send(url, measure, milliseconds) {
    const body = JSON.stringify({ measure, seconds: Math.max(0, milliseconds) / 1000 });
    if (navigator.sendBeacon && navigator.sendBeacon(url, body)) return;
    fetch(url, { method: "POST", body, keepalive: true, credentials: "omit" }).catch(() => {});
  }

  window.wfmTiming = function (url, measure) {
    requestAnimationFrame(() => setTimeout(() => {
      const now = performance.now();
      if (measure === "board_shown") {
        send(url, measure, now - navigatedAt);
      } else if (measure === "drop_confirmed" && droppedAt !== null) {
        send(url, measure, now - droppedAt); // a "Move to" has no drop: nothing to report
        droppedAt = null;
      }
    }, 0));
  };
})();
