import type { DatabaseSync } from 'node:sqlite';
import { inTransaction, type User } from './database.ts';
import { createRandom } from './random.ts';

const firstNames = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Ken'];
const lastNames = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov'];

/** Fills the database with `userCount` users and their related items. */
export function seedUsers(
  database: DatabaseSync,
  userCount: number,
  itemsPerUser: number,
  seed: number,
): User[] {
  const random = createRandom(seed);
  const insertUser = database.prepare(
    'INSERT INTO users (id, name, email) VALUES (?, ?, ?)',
  );
  const insertItem = database.prepare(
    'INSERT INTO related_items (user_id) VALUES (?)',
  );

  return inTransaction(database, () => {
    const users: User[] = [];
    for (let id = 1; id <= userCount; id++) {
      const user = makeUser(id, random);
      insertUser.run(user.id, user.name, user.email);
      for (let item = 0; item < itemsPerUser; item++) insertItem.run(id);
      users.push(user);
    }
    return users;
  });
}

function makeUser(id: number, random: () => number): User {
  const first = firstNames[Math.floor(random() * firstNames.length)];
  const last = lastNames[Math.floor(random() * lastNames.length)];
  const name = `${first} ${last}`;
  const email = `${name.toLowerCase().replace(' ', '.')}.${id}@example.com`;
  return { id, name, email };
}
