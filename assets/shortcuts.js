// Keyboard shortcuts on every page (issue 33.4), none while one is typing:
//   /  the header's search        n  the page's "New ..." button      ?  this list
//   on a board: arrows move between cards (up/down in a column, left/right across
//   columns), Enter opens the card, m opens its "Move to" menu.
// Each is announced to screen readers through a live region.
(function () {
  const KEYS = [
    ["/", "Find cards everywhere"],
    ["n", "New card on this board"],
    ["↑ ↓ ← →", "Move between cards"],
    ["Enter", "Open the card"],
    ["m", "Move the card to another step"],
    ["?", "Show these shortcuts"],
  ];

  function typing(target) {
    if (!target || !(target instanceof Element)) return false;
    return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
  }

  function say(words) {
    let region = document.getElementById("wfm-shortcut-said");
    if (!region) {
      region = document.createElement("div");
      region.id = "wfm-shortcut-said";
      region.setAttribute("role", "status");
      region.style.cssText = "position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)";
      document.body.appendChild(region);
    }
    region.textContent = words;
  }

  function showList() {
    let dialog = document.getElementById("wfm-shortcuts");
    if (!dialog) {
      dialog = document.createElement("dialog");
      dialog.id = "wfm-shortcuts";
      dialog.setAttribute("aria-labelledby", "wfm-shortcuts-title");
      dialog.style.cssText =
        "margin:auto;border:1px solid #ccc;border-radius:8px;padding:1.2em 1.5em;max-width:26em";
      const rows = KEYS.map(([key, what]) => `<tr><th scope="row"><kbd>${key}</kbd></th><td>${what}</td></tr>`).join("");
      dialog.innerHTML =
        `<h2 id="wfm-shortcuts-title" style="margin:0 0 0.5em;font-size:1.25em;font-weight:700">` +
        `Keyboard shortcuts</h2>` +
        `<table style="border-spacing:0.8em 0.3em">${rows}</table>` +
        `<form method="dialog"><button>Close</button></form>`;
      document.body.appendChild(dialog);
    }
    if (!dialog.open) dialog.showModal();
  }

  function cards() {
    return Array.from(document.querySelectorAll("section[role=region] button[id^='card-']"));
  }

  function columnOf(button) {
    return button.closest("section[role=region]");
  }

  function step(current, key) {
    const all = cards().filter((b) => b.offsetParent !== null);
    if (!all.includes(current)) return null;
    const column = columnOf(current);
    const mine = all.filter((b) => columnOf(b) === column);
    const index = mine.indexOf(current);
    if (key === "ArrowDown") return mine[index + 1] || current;
    if (key === "ArrowUp") return mine[index - 1] || current;
    const columns = [...new Set(all.map(columnOf))];
    const next = columns[columns.indexOf(column) + (key === "ArrowRight" ? 1 : -1)];
    if (!next) return current;
    const there = all.filter((b) => columnOf(b) === next);
    return there[Math.min(index, there.length - 1)] || current;
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    if (document.querySelector("[role=dialog], dialog[open]")) return; // a dialog has the keys
    const active = document.activeElement;
    // focus anywhere in a card (its name, its Move to) counts as being on that card
    const article = active && active.closest ? active.closest("section[role=region] article") : null;
    const onCard = article ? article.querySelector("button[id^='card-']") : null;
    if (event.key === "/") {
      const field = document.getElementById("global-search");
      if (!field || field.offsetParent === null) return;
      event.preventDefault();
      field.focus();
    } else if (event.key === "?") {
      event.preventDefault();
      showList();
    } else if (event.key === "n") {
      const button = Array.from(document.querySelectorAll("main button")).find((b) =>
        /^New /.test(b.textContent.trim())
      );
      if (!button) return;
      event.preventDefault();
      button.click();
    } else if (onCard && ["ArrowDown", "ArrowUp", "ArrowLeft", "ArrowRight"].includes(event.key)) {
      const next = step(onCard, event.key);
      if (!next || next === onCard) return;
      event.preventDefault();
      next.focus();
      say(`${next.textContent.trim()}, in ${columnOf(next).getAttribute("aria-label")}`);
    } else if (event.key === "m" && onCard) {
      const move = Array.from(onCard.closest("article").querySelectorAll("button")).find(
        (b) => b.textContent.trim() === "Move to"
      );
      if (!move) return;
      event.preventDefault();
      move.focus(); // the menu opens from the keyboard, as Enter on its button would
      move.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
    }
  });
})();
