// The last key created in this browser, per user, for the playground (the secret is only ever
// shown once by the server, so this browser keeps it if the person wants it to).
export interface StoredKey {
  id: string;
  key: string;
  prefix: string;
  livemode: boolean;
  name: string | null;
}

const storageKey = (userId: string) => `aio_playground_key:${userId}`;

export function loadPlaygroundKey(userId: string): StoredKey | null {
  try {
    const raw = localStorage.getItem(storageKey(userId));
    return raw ? (JSON.parse(raw) as StoredKey) : null;
  } catch {
    return null;
  }
}

export function savePlaygroundKey(userId: string, key: StoredKey): void {
  localStorage.setItem(storageKey(userId), JSON.stringify(key));
}

export function forgetPlaygroundKey(userId: string): void {
  localStorage.removeItem(storageKey(userId));
}
