// The families plm-torch ships, registered for the Auto classes (a family is its folder and
// the one line here that loads its registration).
import './bert/family.js';
import './distilbert/family.js';
import './electra/family.js';
import './roberta/family.js';
import './xlm_roberta/family.js';
import './deberta_v2/family.js';
import './modernbert/family.js';
