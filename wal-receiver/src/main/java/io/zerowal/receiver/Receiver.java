package io.zerowal.receiver;

/**
 * A source of records: a Kafka consumer, a socket, a queue. The engine calls {@link #onStart} once
 * when it starts and {@link #onStop} once when it stops.
 *
 * <p>Acknowledge upstream (commit offsets, ack a message, answer a client) only when the future
 * returned by {@link ReceiverContext#store} completes: the records are then durable and will be
 * processed, even across a crash.
 */
public interface Receiver {

  /**
   * Starts receiving. Must return quickly: start your own threads and call {@code context.store}
   * from them. Called on the thread that starts the engine.
   */
  void onStart(ReceiverContext context);

  /**
   * Stops receiving: stop your threads and return once they no longer call {@code store}. Records
   * stored before the return are processed on a graceful stop; later ones are refused.
   */
  void onStop();
}
