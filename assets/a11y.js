// Focus that follows the work (issue 18).
//
// Dialogs here open from state, not from a Radix trigger, so on closing Radix has
// nothing to give focus back to and it drops to <body>. Remember what had focus before
// a dialog opened and return there when it closes; a card's buttons are found again by
// id, since a card that moved meanwhile was drawn anew in its new column.
(function () {
  const DIALOGS = '[role="dialog"], [role="alertdialog"]';
  let opener = null;
  let open = false;

  document.addEventListener("focusin", (event) => {
    const target = event.target;
    if (target instanceof HTMLElement && !target.closest(DIALOGS + ', [role="menu"]')) {
      opener = { element: target, id: target.id };
    }
  });

  function giveBack() {
    const active = document.activeElement;
    if (!opener || (active && active !== document.body)) return;
    const found = (opener.id && document.getElementById(opener.id)) || opener.element;
    if (found && found.isConnected) found.focus();
  }

  new MutationObserver(() => {
    const now = document.querySelector(DIALOGS) !== null;
    if (open && !now) setTimeout(giveBack, 0);
    open = now;
  }).observe(document.documentElement, { childList: true, subtree: true });

  // The skip link moves focus, not only the view, to its target.
  document.addEventListener("click", (event) => {
    const link = event.target instanceof Element && event.target.closest(".skip-link");
    const target = link && document.getElementById(link.hash.slice(1));
    if (target) {
      event.preventDefault();
      target.focus();
    }
  });

  // A closing menu hands focus back to its trigger a moment later (the "Move to" button
  // of where the card was): keep it on ``element`` for ``ms``.
  function keepFrom(element, thief, ms) {
    const guard = (event) => {
      if (event.target instanceof Element && event.target.matches(thief) && element.isConnected) {
        element.focus();
      }
    };
    document.addEventListener("focusin", guard);
    setTimeout(() => document.removeEventListener("focusin", guard), ms);
  }

  // Called by the server after a change it made: focus ``selector`` once it is drawn
  // (the page redraws after the event that asked for it), unless the person has moved on
  // meanwhile to type or pick something: only a button (the one that did it, a menu's)
  // or nothing gives focus up.
  window.wfmFocus = function (selector) {
    let tries = 0;
    const timer = setInterval(() => {
      const element = document.querySelector(selector);
      if (element) {
        clearInterval(timer);
        const active = document.activeElement;
        const idle =
          !active || active === document.body || active.matches('button, [role="menuitem"]');
        if (!idle) return;
        element.focus();
        keepFrom(element, '[aria-haspopup="menu"]', 800);
      } else if (++tries > 40) {
        clearInterval(timer);
      }
    }, 25);
  };
  // Ctrl+Z (Cmd+Z) on a board undoes the last move while its Undo is offered; typing
  // in a field keeps the browser's own undo.
  document.addEventListener("keydown", (event) => {
    if (event.key.toLowerCase() !== "z" || event.shiftKey || event.altKey) return;
    if (!(event.ctrlKey || event.metaKey)) return;
    const typing = event.target instanceof Element && event.target.closest(
      'input, textarea, select, [contenteditable="true"]',
    );
    const undo = document.getElementById("undo-last-move");
    if (typing || !undo) return;
    event.preventDefault();
    undo.click();
  });
})();
