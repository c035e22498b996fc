// Who is signed in, the server's public configuration, and the people whose
// photos may appear (me and the partners who share with me), by id.
export const session = $state({ user: null, config: null });

export const people = $state({ names: {} });

export function rememberNames(users) {
  for (const u of users) if (u && u.id) people.names[u.id] = u.name || u.email;
}
