/** Every file format the engine parses. Adding one: its file (id, files, parse), its test, one line here. */
import { dashboardFormat } from './dashboard.js';
import { dbtPackagesFormat } from './dbt-packages.js';
import { dbtProjectFormat } from './dbt-project.js';
import { dockerfileFormat } from './dockerfile.js';
import { profilesFormat } from './profiles.js';
import { requirementsFormat } from './requirements.js';
import { schedulersFormat } from './schedulers.js';
import { secretShapesFormat } from './secrets.js';
import { shipshapeConfigFormat } from './shipshape-config.js';
import { workflowFormat } from './workflow.js';

export const FORMATS = [
  dbtPackagesFormat,
  dbtProjectFormat,
  dockerfileFormat,
  workflowFormat,
  requirementsFormat,
  profilesFormat,
  dashboardFormat,
  schedulersFormat,
  secretShapesFormat,
  shipshapeConfigFormat,
] as const;

type AnyFormat = (typeof FORMATS)[number];
export type FormatId = AnyFormat['id'];
/** The typed value one file of format `Id` parses into. */
export type ValueOf<Id extends FormatId> = ReturnType<Extract<AnyFormat, { id: Id }>['parse']>['value'];
