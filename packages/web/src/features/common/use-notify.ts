import { App } from 'antd';
import { useCallback } from 'react';
import { messageOf } from '../../api/client';

/** Toasts for success and for any thrown error (the API's message is already localised). */
export function useNotify() {
  const { message } = App.useApp();
  const ok = useCallback((text: string) => void message.success(text), [message]);
  const fail = useCallback((error: unknown) => void message.error(messageOf(error)), [message]);
  return { ok, fail };
}
