import { render } from 'preact';
import { t } from '../platform/i18n';
import { Options } from './Options';

document.title = t('optionsTitle');
const root = document.getElementById('app');
if (root !== null) render(<Options />, root);
