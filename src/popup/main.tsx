import { render } from 'preact';
import { App } from './App';

// Read by the benchmark to split the popup's first render into loading, waiting for data, rendering.
performance.mark('ipvlens:script-start');

const root = document.getElementById('app');
if (root !== null) render(<App search={location.search} />, root);
