// Editing a card's field in place (issue 33.1): the field's input takes the focus, Enter
// saves (the form submits), Escape cancels the edit without closing the card's panel.
// Registered on window in the capture phase: it runs before the dialog's own Escape.
(function () {
  const FORM = "[data-wfm-inline]";
  window.wfmInline = {
    focus() {
      const tryFocus = (left) => {
        const input = document.querySelector(`${FORM} input:not([type=hidden]), ${FORM} select, ${FORM} textarea`);
        if (input) input.focus();
        else if (left > 0) setTimeout(() => tryFocus(left - 1), 30);
      };
      tryFocus(10);
    },
  };
  window.addEventListener(
    "keydown",
    (event) => {
      if (event.key !== "Escape" || !(event.target instanceof Element)) return;
      const form = event.target.closest(FORM);
      if (!form) return;
      event.stopPropagation();
      event.preventDefault();
      const cancel = form.querySelector("[data-wfm-inline-cancel]");
      if (cancel) cancel.click();
    },
    true,
  );
})();
