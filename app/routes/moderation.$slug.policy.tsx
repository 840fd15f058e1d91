import { redirect, type MetaFunction } from '@remix-run/node';
import { Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { Form } from '~/ui/post-form';
import { handler, submitForm } from '~/.server/http';
import { getPolicy, requirePolicyAccess, updatePolicy } from '~/.server/moderation';
import { PolicySchema } from '~/lib/schemas/moderation';
import { HOUSE_RULES_MAX } from '~/lib/forms/moderation';
import { Breadcrumbs } from '~/ui/breadcrumbs';
import { ErrorSummary, Radios, TextArea, TextInput } from '~/ui/form';
import { SubmitButton } from '~/ui/submit-button';

export const meta: MetaFunction = () => [{ title: 'Moderation policy – Open Consultation' }];

export const loader = handler(async ({ db, viewer, params }) =>
  getPolicy(db, viewer, params.slug!),
);

export const action = handler(async ({ request, db, viewer, params, ctx }) => {
  await requirePolicyAccess(db, viewer, params.slug!);
  return submitForm(request, PolicySchema, async (input) => {
    await updatePolicy(db, viewer, params.slug!, input, ctx);
    return redirect(`/moderation/${params.slug}/policy?saved=1`);
  });
});

const LABELS = {
  mode: 'When comments are published',
  reportThreshold: 'Reports that hide a comment',
  houseRules: 'House rules',
};

export default function ModerationPolicy() {
  const policy = useLoaderData<typeof loader>();
  const feedback = useActionData<typeof action>();
  const [search] = useSearchParams();
  const c = policy.consultation;
  return (
    <div className="narrow">
      <Breadcrumbs
        items={[
          { to: '/moderation', label: 'Moderation' },
          { to: `/moderation/${c.slug}`, label: c.title },
        ]}
      />
      <h1>
        <span className="caption">{c.title}</span>
        Moderation policy
      </h1>
      {search.get('saved') && !feedback ? (
        <div className="notice notice--success" role="status">
          <p>The moderation policy has been saved.</p>
        </div>
      ) : null}
      <ErrorSummary feedback={feedback} labels={LABELS} />
      <Form method="post" className="form" noValidate>
        <input type="hidden" name="version" value={policy.version} />
        <Radios
          name="mode"
          legend={LABELS.mode}
          feedback={feedback}
          defaultValue={policy.mode}
          options={[
            {
              value: 'post',
              label: 'Straight away (post-moderation)',
              hint: 'Moderators review comments that readers report or that the spam rules hold.',
            },
            {
              value: 'pre',
              label: 'After a moderator approves them (pre-moderation)',
              hint: 'Every new comment, and every reason a respondent agreed to publish, waits for approval. Comments already published stay published.',
            },
          ]}
        />
        <TextInput
          name="reportThreshold"
          label={LABELS.reportThreshold}
          hint="A comment reported by this many different people is hidden until a moderator reviews it (1 to 50)."
          width="third"
          feedback={feedback}
          defaultValue={String(policy.reportThreshold)}
        />
        <TextArea
          name="houseRules"
          label={LABELS.houseRules}
          hint="Shown next to every comment form. You can use markdown: **bold**, lists with -, links."
          rows={8}
          maxLength={HOUSE_RULES_MAX}
          feedback={feedback}
          defaultValue={policy.houseRules}
        />
        <div className="button-row">
          <SubmitButton pendingText="Saving…">Save policy</SubmitButton>
          <Link to={`/moderation/${c.slug}`}>Cancel</Link>
        </div>
      </Form>
      {policy.houseRulesHtml ? (
        <section className="house-rules" aria-labelledby="preview-heading">
          <h2 id="preview-heading">House rules as readers see them</h2>
          <div className="prose" dangerouslySetInnerHTML={{ __html: policy.houseRulesHtml }} />
        </section>
      ) : null}
    </div>
  );
}
