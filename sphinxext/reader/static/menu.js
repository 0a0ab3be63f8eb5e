/* The phone menu for keyboard readers (_templates/layout.html), on every
   page (sphinxext/reader/a11y.py adds it).
   sphinx-rtd-theme's script opens and closes the sidebar on a click of
   [data-toggle="wy-nav-top"] (now a <button>, so Enter and Space click it);
   this says whether it is open, moves focus into it when it opens, and
   closes it on Escape, giving focus back to the button. */
document.addEventListener("DOMContentLoaded", () => {
  "use strict";
  const button = document.querySelector("button.menu-button");
  const menu = document.querySelector("nav.wy-nav-side");
  if (!button || !menu) return;
  const isOpen = () => menu.classList.contains("shift");
  const sync = (moveFocus) => {
    button.setAttribute("aria-expanded", String(isOpen()));
    if (moveFocus && isOpen()) {
      const first = menu.querySelector("input, a[href]");
      if (first) first.focus();
    }
  };
  // After the theme's handler, which listens on the document.
  button.addEventListener("click", () => setTimeout(() => sync(true), 0));
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && isOpen()) {
      button.click();
      button.focus();
    }
  });
  // The theme closes the menu when one of its links is followed.
  menu.addEventListener("click", () => setTimeout(() => sync(false), 0));
});
