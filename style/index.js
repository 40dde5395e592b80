import './base.css';
import './dialogs.css';
