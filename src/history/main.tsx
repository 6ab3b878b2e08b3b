import { render } from 'preact';
import { HistoryPage } from './HistoryPage';

const root = document.getElementById('app');
if (root !== null) render(<HistoryPage />, root);
