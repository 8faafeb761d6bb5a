// Strings of the header's account menu, registered when it loads (English; Chinese in zh-CN.ts).
import { addMessages } from './messages';

export const enAccount = {
  account_menu: 'Account menu for {email}',
  account_signed_in_as: 'Signed in as',
};

addMessages('en', enAccount);
