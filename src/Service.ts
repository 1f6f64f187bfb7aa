/** A running part of the app (an adapter, a set of workers) that main.ts stops on shutdown. */
export interface Service {
  name: string;
  stop(): Promise<void>;
}
