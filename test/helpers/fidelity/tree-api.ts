// The public API the tree runner uses, plus the winston level name of a Python level number.
export {
  addLevelName,
  configureLogging,
  disableLogging,
  getLogger,
  getRootLogger,
  pythonFormat,
  resetLogging,
  setPythonCompat,
} from '../../../src/index';
export { winstonLevelName as winstonLevelNameOf } from '../../../src/record/levels';
