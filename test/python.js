// The Python interpreter of the project's venv (make venv), or $EOS_PYTHON.
const path = require('path');
const fs = require('fs');

function projectPython() {
  if (process.env.EOS_PYTHON) {
    return process.env.EOS_PYTHON;
  }
  const venv = path.join(__dirname, '..', '.venv', 'bin', 'python');
  if (fs.existsSync(venv)) {
    return venv;
  }
  return 'python3';
}

module.exports = { projectPython };
