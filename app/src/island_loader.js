// Brings a page's islands to life. Only a page that has one (the case list's search as you
// type) loads the WebAssembly; every other page is complete as the server sent it. Runs when
// the browser is idle, so that the page is drawn and usable first. Sets `data-islands` on
// <body> to "none" or, once the islands run, "hydrated": the browser tests wait for it.
// Islands here neither nest nor take children, so each is hydrated on its own.
((js, wasm) => {
  // Print buttons (components/print.rs) work with JavaScript only: shown here.
  for (const button of document.querySelectorAll("[data-print]")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
  const islands = document.querySelectorAll("leptos-island");
  if (islands.length === 0) {
    document.body.dataset.islands = "none";
    return;
  }
  const idle = window.requestIdleCallback || ((f) => setTimeout(f, 0));
  idle(async () => {
    const mod = await import(js);
    await mod.default({ module_or_path: wasm });
    mod.hydrate();
    for (const el of islands) {
      const island = mod[el.dataset.component];
      if (island) await island(el);
      else console.warn(`no WebAssembly for island ${el.dataset.component}`);
    }
    document.body.dataset.islands = "hydrated";
  });
})
