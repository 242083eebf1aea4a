import { Batcher } from '@tollgate/runtime';
import { isValueError, tokens, type Queryable, type StepClaim } from '@tollgate/store';

/**
 * Valid codes arriving together claim their steps in one statement (see tokens.claimSteps).
 * A claim the database refuses for its value fails alone: a bad UPN fails the first round,
 * before any claim of the batch was recorded, so the others run again as if for the first time.
 */
export function createStepClaimBatcher(db: Queryable, now: () => number = Date.now): Batcher<StepClaim, boolean> {
  return new Batcher<StepClaim, boolean>({
    name: 'step_claim',
    splitOn: isValueError,
    run: (batch) => tokens.claimSteps(db, batch, now()),
  });
}
