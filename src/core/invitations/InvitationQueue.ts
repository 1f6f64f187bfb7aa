// The core's view of the invitation queue. The BullMQ-backed producer lives in src/jobs/invitations;
// the core only knows it can ask for an invitation to be delivered.

export interface InvitationQueue {
  /**
   * Asks for the invitation (already stored with status `queued`) to be delivered. Idempotent: the
   * job id is the invitation id, so asking twice queues one job.
   */
  enqueueDelivery(invitationId: string): Promise<void>;
}

/** Rules an operator can tune (config INVITE_*). */
export interface InvitationPolicy {
  /** Invitations one sender may send in any 24 hours. */
  dailyLimit: number;
  /** An undelivered or unanswered invitation expires after this many hours. */
  expiryHours: number;
  /** Only people who have claimed their own researcher profile may send invitations. */
  requireVerifiedSender: boolean;
  /** Longest message, in characters. */
  maxMessageLength: number;
}

export const DEFAULT_INVITATION_POLICY: InvitationPolicy = {
  dailyLimit: 10,
  expiryHours: 24 * 14,
  requireVerifiedSender: false,
  maxMessageLength: 1000,
};
