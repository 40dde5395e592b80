import './base.css';
import './columns.css';
import './pathbar.css';
import './dialogs.css';
import './transfers.css';
import './open.css';
