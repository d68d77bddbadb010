// The families plm-torch ships, registered for the Auto classes (a family is its folder and
// the one line here that loads its registration).
import './bert/family.js';
import './distilbert/family.js';
import './electra/family.js';
