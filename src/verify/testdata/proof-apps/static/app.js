document.addEventListener("DOMContentLoaded", () => { document.title += " (ready)"; });
