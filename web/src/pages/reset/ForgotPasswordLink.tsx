// "Forgot password?" on the sign-in page: shown only when the server can e-mail a reset link.
import { useEffect, useState } from 'react';
import { usePageMessages } from '../../i18n/page-messages';
import { Link } from '../../router';
import { resetApi } from './api';
import { resetMessages } from './messages';

export function ForgotPasswordLink() {
  const r = usePageMessages(resetMessages);
  const [enabled, setEnabled] = useState(false);
  useEffect(() => {
    let live = true;
    resetApi.emailEnabled().then(
      (on) => live && setEnabled(on),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  if (!enabled) return null;
  return (
    <p className="small center forgot-password">
      <Link to="/reset-password">{r('reset_forgot_link')}</Link>
    </p>
  );
}
