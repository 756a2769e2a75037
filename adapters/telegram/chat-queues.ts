// Updates are handled concurrently across chats but in order within one chat, so a slow command
// (or a reply waiting out a group's rate limit) in one group never holds up another, and a
// group's "/register" is answered before the "/join" sent right after it. At most `limit` tasks
// are waiting or running; beyond that, accepting an update waits, which slows the fetching of
// new updates instead of growing memory.
export class ChatQueues {
  private readonly tails = new Map<string, Promise<void>>();
  private pending = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly limit: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Resolves once the task is queued behind the chat's earlier tasks (not when it has run). */
  async push(chatId: string, task: () => Promise<void>): Promise<void> {
    while (this.pending >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.pending++;
    const tail: Promise<void> = (this.tails.get(chatId) ?? Promise.resolve())
      .then(task)
      .catch(this.onError)
      .finally(() => {
        this.pending--;
        if (this.tails.get(chatId) === tail) this.tails.delete(chatId);
        this.waiting.shift()?.();
      });
    this.tails.set(chatId, tail);
  }

  /** Resolves when every queued task has run. */
  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.all(this.tails.values());
  }
}
