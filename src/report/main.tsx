import { render } from 'preact';
import { ReportPage } from './ReportPage';

const root = document.getElementById('app');
if (root !== null) render(<ReportPage search={location.search} />, root);
