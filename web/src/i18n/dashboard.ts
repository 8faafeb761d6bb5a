// Registers the dashboard's strings (both languages): imported by the dashboard chunk only.
import { enDashboard } from './en-dashboard';
import { addMessages } from './messages';
import { zhCNDashboard } from './zh-CN-dashboard';

addMessages('en', enDashboard);
addMessages('zh-CN', zhCNDashboard);
