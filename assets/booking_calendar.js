// The booking calendar as a WAI-ARIA grid (date picker pattern), in the browser alone: one day of the
// month is in the Tab order (the chosen day, else the first free one); the arrow keys move between
// days (left/right a day, up/down a week), Home/End to the start/end of the week, PageUp/PageDown to
// the same day of the previous/next month; Enter or Space picks a free day (its button's own click).
// Moving past the shown month presses the month button and focuses the day once the new month is drawn.
(function () {
  var pending = null;
  var pendingSince = 0;

  function grid() { return document.querySelector("[data-booking-calendar]"); }
  function cellFor(iso) { var g = grid(); return g ? g.querySelector('[data-iso="' + iso + '"]') : null; }
  function isoOf(date) { return date.toISOString().slice(0, 10); }
  function dateOf(iso) { return new Date(iso + "T12:00:00Z"); }
  function shift(iso, days) { var d = dateOf(iso); d.setUTCDate(d.getUTCDate() + days); return isoOf(d); }
  function shiftMonth(iso, months) {
    var d = dateOf(iso), year = d.getUTCFullYear(), month = d.getUTCMonth() + months;
    var last = new Date(Date.UTC(year, month + 1, 0, 12)).getUTCDate();
    return isoOf(new Date(Date.UTC(year, month, Math.min(d.getUTCDate(), last), 12)));
  }
  function focusCell(cell) {
    grid().querySelectorAll("[data-iso]").forEach(function (other) { other.tabIndex = -1; });
    cell.tabIndex = 0;
    cell.focus();
  }
  function go(iso, later) {
    var cell = cellFor(iso);
    if (cell) { focusCell(cell); return; }
    var button = document.querySelector(later ? "[data-calendar-next]" : "[data-calendar-previous]");
    if (!button || button.disabled) return;
    pending = iso;
    pendingSince = Date.now();
    button.click();
  }
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || !event.target.closest) return;
    var cell = event.target.closest("[data-booking-calendar] [data-iso]");
    if (!cell) return;
    var iso = cell.getAttribute("data-iso");
    var weekday = (dateOf(iso).getUTCDay() + 6) % 7;  // Monday first
    var target;
    switch (event.key) {
      case "ArrowLeft": target = shift(iso, -1); break;
      case "ArrowRight": target = shift(iso, 1); break;
      case "ArrowUp": target = shift(iso, -7); break;
      case "ArrowDown": target = shift(iso, 7); break;
      case "Home": target = shift(iso, -weekday); break;
      case "End": target = shift(iso, 6 - weekday); break;
      case "PageUp": target = shiftMonth(iso, -1); break;
      case "PageDown": target = shiftMonth(iso, 1); break;
      default: return;
    }
    event.preventDefault();
    go(target, target > iso);
  });
  new MutationObserver(function () {
    if (!pending) return;
    if (Date.now() - pendingSince > 5000) { pending = null; return; }
    var cell = cellFor(pending);
    if (cell) { pending = null; focusCell(cell); }
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
