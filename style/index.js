import './base.css';
import './dialogs.css';
import './transfers.css';
import './open.css';
