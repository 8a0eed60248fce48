// The peer of annotask's filter builder: react-querybuilder 8 with React 19's production
// build, bundled by esbuild (`cargo xtask bench` runs it). The page exposes mount/unmount;
// `benches/app.mjs` times them exactly as it times annotask's harness page.
import React, { useState } from 'react';
import { createRoot } from 'react-dom/client';
import { flushSync } from 'react-dom';
import { QueryBuilder } from 'react-querybuilder';
import 'react-querybuilder/dist/query-builder.css';

function Builder({ fields, initial }) {
  // Controlled, as an app holds its query: every edit goes through state.
  const [query, setQuery] = useState(initial);
  return <QueryBuilder fields={fields} query={query} onQueryChange={setQuery} />;
}

let root = null;

window.rqb = {
  /** Renders the tree synchronously (flushSync), like the wasm harness's mount. */
  mount(fields, tree) {
    window.rqb.unmount();
    root = createRoot(document.getElementById('mount'));
    flushSync(() => root.render(<Builder fields={fields} initial={tree} />));
  },
  unmount() {
    if (root) {
      root.unmount();
      root = null;
    }
  },
};
window.benchReady = true;
