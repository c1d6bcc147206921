import type { Executor, UnitOfWork } from '../../platform/outbox/index.js';
import { inTransaction } from '../../platform/outbox/index.js';
import { nowIso } from '../../shared/clock.js';
import { errors } from '../../shared/errors/index.js';
import type { AcceptedAnswer, AnswerInput } from './checklist-answers.js';
import { validateAnswers } from './checklist-answers.js';
import type { ChecklistItem } from './checklist-schemas.js';
import { commitChange, WorkOrderEvents } from './events.js';
import type { AnswersInput } from './execution-schemas.js';
import { answersInputSchema } from './execution-schemas.js';
import { lockExecuting } from './execution-kit.js';
import { parseInput } from '../../shared/parse-input.js';

const executed = { executedContentChanged: true } as const;
import type { WorkOrderRow } from './repository.js';
import type { WorkOrder } from './schemas.js';

/** Validates the whole batch against the work order's checklist copy, then upserts (null clears). */
export async function applyAnswers(
  uow: UnitOfWork,
  wo: WorkOrderRow,
  answers: readonly AnswerInput[],
): Promise<AcceptedAnswer[]> {
  const items = JSON.parse(wo.checklist) as ChecklistItem[];
  if (items.length === 0)
    throw errors.conflict(`work order ${wo.id} has no checklist`, {
      checklistTemplateId: wo.checklist_template_id,
    });
  const accepted = validateAnswers(items, answers);
  const now = nowIso();
  for (const answer of accepted) {
    if (answer.value === null) {
      await uow.tx
        .deleteFrom('work_order_answers')
        .where('work_order_id', '=', wo.id)
        .where('item_key', '=', answer.key)
        .execute();
      continue;
    }
    const value = JSON.stringify(answer.value);
    await uow.tx
      .insertInto('work_order_answers')
      .values({ work_order_id: wo.id, item_key: answer.key, value, answered_at: now })
      .onConflict((oc) => oc.columns(['work_order_id', 'item_key']).doUpdateSet({ value, answered_at: now }))
      .execute();
  }
  return accepted;
}

export async function answerChecklist(
  executor: Executor,
  id: string,
  raw: AnswersInput,
  expectedVersion?: number,
): Promise<WorkOrder> {
  const input = parseInput(answersInputSchema, raw);
  return inTransaction(executor, async (uow) => {
    const row = await lockExecuting(uow, id, expectedVersion);
    const accepted = await applyAnswers(uow, row, input.answers);
    return commitChange(
      uow,
      id,
      WorkOrderEvents.checklistAnswered,
      ['answers'],
      {
        answeredKeys: accepted.map((a) => a.key),
      },
      executed,
    );
  });
}
