/**
 * A small integer flow network (adjacency lists with paired reverse edges),
 * used to share facilitator capacity between languages. Graphs here have at
 * most a few hundred nodes, so simple BFS augmentation (Edmonds-Karp) and
 * successive shortest paths with SPFA are plenty fast and fully deterministic.
 */
export class FlowNetwork {
  private readonly head: number[];
  private readonly to: number[] = [];
  private readonly next: number[] = [];
  private readonly cap: number[] = [];
  private readonly cost: number[] = [];

  constructor(readonly nodeCount: number) {
    this.head = new Array<number>(nodeCount).fill(-1);
  }

  /** Adds u -> v; returns the edge id (its reverse edge is id ^ 1). */
  addEdge(u: number, v: number, capacity: number, cost = 0): number {
    const e = this.to.length;
    this.to.push(v, u);
    this.cap.push(capacity, 0);
    this.cost.push(cost, -cost);
    this.next.push(this.head[u]!, this.head[v]!);
    this.head[u] = e;
    this.head[v] = e + 1;
    return e;
  }

  /** Flow currently on edge e. */
  flow(e: number): number {
    return this.cap[e ^ 1]!;
  }

  /** Raises the capacity of edge e by delta (>= 0); existing flow is kept. */
  raiseCapacity(e: number, delta: number): void {
    this.cap[e] = this.cap[e]! + delta;
  }

  /** Augments to a maximum flow from s to t (on top of the current flow); returns the added flow. */
  maxFlow(s: number, t: number): number {
    const parentEdge = new Int32Array(this.nodeCount);
    const queue = new Int32Array(this.nodeCount);
    let total = 0;
    for (;;) {
      parentEdge.fill(-1);
      let qh = 0;
      let qt = 0;
      queue[qt++] = s;
      parentEdge[s] = -2;
      while (qh < qt && parentEdge[t] === -1) {
        const u = queue[qh++]!;
        for (let e = this.head[u]!; e !== -1; e = this.next[e]!) {
          const v = this.to[e]!;
          if (this.cap[e]! > 0 && parentEdge[v] === -1) {
            parentEdge[v] = e;
            queue[qt++] = v;
          }
        }
      }
      if (parentEdge[t] === -1) return total;
      let push = Infinity;
      for (let v = t; v !== s; v = this.to[parentEdge[v]! ^ 1]!) push = Math.min(push, this.cap[parentEdge[v]!]!);
      for (let v = t; v !== s; v = this.to[parentEdge[v]! ^ 1]!) {
        const e = parentEdge[v]!;
        this.cap[e] = this.cap[e]! - push;
        this.cap[e ^ 1] = this.cap[e ^ 1]! + push;
      }
      total += push;
    }
  }

  /**
   * Successive shortest paths (SPFA, so negative residual costs are fine):
   * pushes up to `limit` units from s to t at minimum total cost.
   */
  minCostFlow(s: number, t: number, limit: number): { flow: number; cost: number } {
    const n = this.nodeCount;
    const dist = new Float64Array(n);
    const parentEdge = new Int32Array(n);
    const inQueue = new Uint8Array(n);
    let flow = 0;
    let cost = 0;
    while (flow < limit) {
      dist.fill(Infinity);
      parentEdge.fill(-1);
      dist[s] = 0;
      const queue: number[] = [s];
      inQueue[s] = 1;
      for (let qh = 0; qh < queue.length; qh++) {
        const u = queue[qh]!;
        inQueue[u] = 0;
        const du = dist[u]!;
        for (let e = this.head[u]!; e !== -1; e = this.next[e]!) {
          if (this.cap[e]! <= 0) continue;
          const v = this.to[e]!;
          const nd = du + this.cost[e]!;
          if (nd < dist[v]!) {
            dist[v] = nd;
            parentEdge[v] = e;
            if (!inQueue[v]) {
              inQueue[v] = 1;
              queue.push(v);
            }
          }
        }
      }
      if (parentEdge[t] === -1) break;
      let push = limit - flow;
      for (let v = t; v !== s; v = this.to[parentEdge[v]! ^ 1]!) push = Math.min(push, this.cap[parentEdge[v]!]!);
      for (let v = t; v !== s; v = this.to[parentEdge[v]! ^ 1]!) {
        const e = parentEdge[v]!;
        this.cap[e] = this.cap[e]! - push;
        this.cap[e ^ 1] = this.cap[e ^ 1]! + push;
      }
      flow += push;
      cost += push * dist[t]!;
    }
    return { flow, cost };
  }
}
