// A card's own address (issue 33.1): opening a card's panel pushes /deals/<id> (or its
// board's path and the id); Back closes the panel; closing the panel goes back. The app's
// router is not told about these entries, so going back and forth between a board and
// its cards never reloads the board; a pasted card address is a route of its own.
(function () {
  const card = { board: null };
  window.wfmCard = card;
  card.opened = function (board, path) {
    card.board = board;
    // the board's filters stay in the address (?q=..., state/board_address.py)
    if (location.pathname !== path) history.pushState({ wfmCard: path }, "", path + location.search);
  };
  card.closed = function (board) {
    if (history.state && history.state.wfmCard === location.pathname) {
      history.back(); // the listener below keeps the router out of it
    } else if (location.pathname !== board) {
      history.replaceState(history.state, "", board + location.search);
    }
  };
  // Registered before the router's (this script loads first): Back from a card's
  // address to its board only closes the panel.
  window.addEventListener("popstate", (event) => {
    if (card.board === null || location.pathname !== card.board) return;
    event.stopImmediatePropagation();
    card.board = null;
    const close = document.querySelector("[data-wfm-card-close]");
    if (close) close.click();
  });
})();
