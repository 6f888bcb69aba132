// The only script: print buttons. Everything else works without JavaScript.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
