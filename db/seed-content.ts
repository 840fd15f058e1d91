/**
 * Demo content for the Open Consultation platform.
 *
 * Based on the Startup Coalition's published summary (17 April 2026) of its
 * report "Hidden in Plain Sight", produced in partnership with Mozilla. All
 * text is paraphrased. The summary names only six of the report's seven
 * reforms, so the seventh recommendation is a clearly labelled placeholder.
 */

export type SeedRecommendation = {
  slug: string;
  title: string;
  summary: string;
  rationale: string;
  /** 'placeholder': listed, but not open for answers until an organiser names it. */
  state?: 'open' | 'placeholder';
};

export type DemoAccount = {
  readonly email: string;
  readonly password: string;
  readonly displayName: string;
  readonly organisation: string;
  readonly segment: 'founder' | 'investor' | 'other';
  readonly segmentOther: string | null;
  readonly role: 'organiser' | 'moderator' | null;
};

export const demoConsultation = {
  slug: 'hidden-in-plain-sight',
  /** Its own privacy notice; the parts left out follow the site default. */
  privacy: {
    controller:
      'The people running this Open Consultation demonstration site (not the Startup Coalition or Mozilla)',
    lawfulBasis:
      'Your consent, given when you submit a response, a comment or an endorsement. This is a demonstration, so please use a made-up name and do not write anything that identifies you.',
    published:
      'For each reform: how many people supported or opposed it and how important they found it, for founders, investors and others separately. Reasons you allow to be quoted may appear as short quotes, with your name only if you chose to be named. Comments are public under the name you gave.',
    retentionMonths: 6,
    deletionPolicy: 'erase' as const,
  },
  title: 'Hidden in Plain Sight: open source AI policy reforms',
  runBy:
    'Open Consultation demo, based on a Startup Coalition report published with Mozilla (not run by either organisation)',
  summary:
    'A demonstration consultation on the policy reforms proposed in Hidden in Plain Sight, a Startup Coalition report published with Mozilla on how the UK could support open source AI. We invite views on each reform, particularly from founders and investors.',
  body: `## About the report

_Hidden in Plain Sight_ is a report by the Startup Coalition, produced in partnership with Mozilla and announced on 17 April 2026. It looks at how governments could support open source AI innovation, with a focus on the UK.

According to the published summary, the report argues that open source AI is no longer a side interest for enthusiasts but infrastructure of real strategic importance, and that governments in Europe need to respond more quickly. It presents open source AI as a basic building block for competition between startups, for the UK's own software capability and for innovation more widely, alongside talent, data and capital. The authors point to faster progress in AI, sharper technology rivalry between the US and China, and Europe's wish to depend less on others for critical software. It draws on interviews with founders, investors and others active in the sector.

The report proposes seven policy reforms in total. This consultation presents each one for comment.

## What we are asking

For each reform, we would like to know:

- whether you support it, and why
- how it might affect your organisation or the wider sector
- any risks, costs or unintended effects you can foresee
- what would need to be in place for it to work well in practice

You can respond to as many or as few reforms as you wish.

## Who we want to hear from

We particularly welcome views from:

- **founders** and staff of startups and scale-ups that build, use or contribute to open source AI
- **investors**, including venture capital and angel investors
- **others** with relevant experience, such as researchers, developers, public sector buyers, civil society groups and interested members of the public

## How we will use your responses

Responses will be read by the consultation organisers. We will combine them into an aggregated summary of views, grouped by reform and by type of respondent, and publish that summary on this platform.

## About this demonstration

This is a **demonstration consultation**, seeded on the Open Consultation platform to show how it works. It is based on the report's published summary. It is not run or endorsed by the Startup Coalition or Mozilla.

The summary we drew on names only six of the report's seven reforms. The seventh entry in this consultation is therefore a placeholder: it is listed, but not open for comment, until organisers name it once the full report text has been checked. We have not guessed what the seventh reform is.
`,
};

export const demoRecommendations: SeedRecommendation[] = [
  {
    slug: 'open-source-first-government-ai-infrastructure',
    title: 'Adopt an "open source first" policy for government AI infrastructure',
    summary:
      'Government would look first to open source options when putting in place the infrastructure that its own AI systems run on.',
    rationale: `## What this would mean

Under this reform, public bodies would consider open source options first when they build, buy or run the infrastructure behind government AI systems. Other options would still be possible, but open source would be the starting point.

The published summary does not explain how such a policy would be defined, which parts of government it would cover, or when exceptions would apply. Those details would need to be worked out.

## Why it is proposed

The report's wider argument is that open source AI has become strategically important infrastructure rather than a niche interest. It links open source AI to competition between startups and to the UK's ability to keep its own software capability, at a time of sharper technology rivalry between the US and China and a growing European wish for autonomy over critical software.

The summary does not give reasons specific to this reform. Points that respondents may wish to consider include how government's choices as a technology buyer could influence the wider market, and what an open source first approach could mean for security, long-term support, overall cost and the skills needed inside departments.

## Questions for respondents

- Do you support an "open source first" approach for government AI infrastructure? Why or why not?
- Which parts of government AI infrastructure, if any, should it apply to?
- What exceptions or safeguards would be needed, for example on security or reliability?
- How might this policy affect your organisation, or the market you work in?
`,
  },
  {
    slug: 'publicly-funded-ai-open-release',
    title: 'Require publicly funded AI projects to release open models, datasets and code',
    summary:
      'AI projects paid for with public money would be required to publish their models, datasets and code openly, so that others can use and build on them.',
    rationale: `## What this would mean

Where public money pays for an AI project, the results of that work, including models, datasets and code, would have to be released openly. Others would then be able to use, examine and build on them.

The published summary does not say which funding schemes would be covered, what licences would be used, when material would need to be released, or how projects part-funded by private organisations would be treated.

## Why it is proposed

The report presents open source AI as a basic ingredient of innovation, comparable in importance to access to talent, data and capital. It also sees open source AI as important for startup competition and for the UK's own software capability.

The summary does not set out reasoning specific to this reform. Questions the consultation would like to explore include whether opening up publicly funded work could give more organisations access to useful building blocks, and how such a requirement should handle personal or sensitive data, security concerns, intellectual property and the commercial interests of any co-funders.

## Questions for respondents

- Do you support requiring publicly funded AI projects to release their models, datasets and code? Why or why not?
- What exemptions, if any, should apply, for example for personal data or security reasons?
- Would this requirement make your organisation more or less likely to take part in publicly funded projects?
- What conditions, such as licence terms or release timescales, would make the requirement work well?
`,
  },
  {
    slug: 'regulatory-fast-track-open-source-ai',
    title: 'Create regulatory fast-tracks for open source AI providers',
    summary:
      'Providers of open source AI would have access to quicker or simpler routes through relevant regulatory processes.',
    rationale: `## What this would mean

This reform would give organisations that provide open source AI a faster or more streamlined path through regulatory processes that apply to them.

The published summary does not say which regulatory processes are meant, what a fast-track would involve in practice, or how an "open source AI provider" would be defined for this purpose. It also does not say whether any conditions would be attached.

## Why it is proposed

The report argues that open source AI is now a foundation for competition between startups and for the UK's software capability, rather than a marginal activity. It says that changes in AI capability and in the geopolitical picture mean governments should take a different approach from the one they have followed for around two decades.

The summary does not give reasons specific to this reform. Matters that respondents may wish to consider include whether current regulatory processes weigh more heavily on some types of provider than others, how a fast-track could keep appropriate standards of safety and accountability, and whether it would be fair to providers that do not work in the open.

## Questions for respondents

- Which regulatory processes, if any, cause the most difficulty or delay for open source AI providers?
- How should an "open source AI provider" be defined for the purposes of a fast-track?
- What safeguards would be needed so that a fast-track does not lower standards?
- Could a fast-track create an unfair advantage, and if so, how could that be avoided?
`,
  },
  {
    slug: 'procurement-reform-open-source-companies',
    title: 'Reform public procurement to recognise open source companies',
    summary:
      'Public sector buying rules and practice would be changed so that they properly take account of companies whose products and services are built on open source.',
    rationale: `## What this would mean

This reform would change how the public sector buys goods and services so that procurement processes recognise companies that build their products or services on open source.

The published summary does not describe the specific barriers that open source companies face in public procurement, or which rules, guidance or practices would change. These points would need to be developed further.

## Why it is proposed

The report is based partly on interviews with founders, investors and other people active in the open source AI sector. It argues that open source AI is central to competition between startups and to the UK building its own software capability.

The summary does not give reasons specific to this reform. Questions the consultation would like to explore include how procurement processes deal with business models where the software itself is freely available, how value for money should be judged in those cases, and whether smaller open source companies find it harder to win public contracts.

## Questions for respondents

- Have you faced obstacles in public procurement because your organisation works with open source? If so, please describe them.
- Which changes to procurement rules or practice would make the most difference?
- How should public buyers judge value for money when the underlying software is openly available?
- Are there risks in changing procurement in this way, and how could they be managed?
`,
  },
  {
    slug: 'innovate-uk-open-source-priorities',
    title: 'Sharpen Innovate UK AI investment priorities to focus on open source',
    summary:
      "Innovate UK's current priorities for AI investment would be refined so that open source and foundational software capabilities become a named area of focus.",
    rationale: `## What this would mean

This reform concerns Innovate UK's existing priorities for investing in AI. Those priorities would be adjusted so that they name open source and foundational software capabilities as an explicit area of focus.

The wording in the published summary suggests refining current priorities rather than creating a new programme, but the summary does not say this directly. It also does not say how much funding would be involved, which funding schemes would change, or how "foundational software capabilities" would be defined.

## Why it is proposed

The report argues that open source AI is a basic ingredient of innovation, on a par with talent, data and capital, and that it supports the UK's ability to keep its own software capability. It places this in the context of growing technology competition between the US and China and Europe's wish for more autonomy over critical software.

The summary does not give reasons specific to this reform. Points that respondents may wish to consider include what kinds of open source and foundational work most need public support, what might be given lower priority as a result, and how success could be measured.

## Questions for respondents

- Should public innovation funding for AI include an explicit focus on open source? Why or why not?
- What does "foundational software capabilities" mean to you, and which areas should count?
- What trade-offs could arise if priorities were changed in this way?
- How should the results of this kind of investment be measured?
`,
  },
  {
    slug: 'deployment-tooling-investment',
    title: 'Invest in deployment tooling that turns AI model capability into real-world value',
    summary:
      'There would be investment in the tools that help organisations put AI models into practical use, so that what models can do leads to real benefits.',
    rationale: `## What this would mean

This reform calls for investment in deployment tooling: the software and services that help organisations take an AI model and put it to practical use. Depending on how it is defined, this might cover tools for integrating, running, testing or monitoring models.

The published summary does not say who would make this investment, how much would be involved, how it would be delivered, or which kinds of tooling would be included.

## Why it is proposed

The way the reform is described suggests a view that the abilities of AI models do not, on their own, produce benefits in practice, and that tooling is needed to close that gap. More broadly, the report describes open source AI as something that is now strategically important rather than marginal, and that it underpins startup competition and innovation.

The summary does not give further reasons specific to this reform. Questions the consultation would like to explore include where the main gaps in tooling lie, whether public or private investment is better suited to filling them, and whether tooling supported by public money should itself be open source.

## Questions for respondents

- Where do you see the biggest gaps in the tools needed to deploy AI models in practice?
- Should this investment come from the public sector, the private sector, or both?
- Should deployment tooling supported by public funds be released as open source?
- How could this investment avoid duplicating tools that already exist?
`,
  },
  {
    slug: 'seventh-reform-not-named-in-source',
    title: 'Seventh reform (not named in our source)',
    state: 'placeholder',
    summary:
      'The report lists seven reforms, but the published summary we drew on names only six. This entry is a placeholder that organisers should replace once the full report text is available.',
    rationale: `## What this entry is

The report says it sets out seven policy reforms. The published summary that this demonstration consultation is based on names only six of them. We do not know what the seventh reform is.

We have **not** tried to guess it. Nothing in this entry should be read as describing what the report proposes.

## Why this entry is here

We have included this placeholder so that the consultation reflects the full number of reforms in the report, and so that it is clear where information is missing. It is not a proposal in its own right.

## Not yet open for comment

Because we do not know what it proposes, this entry cannot be answered, commented on or endorsed, and it is left out of the results. Your response covers the six named reforms.

### Note for organisers

Once the full report text is available, name this entry from the organiser's page: give it the title, summary and rationale of the seventh reform as the report describes it. Naming it opens it for answers, comments and endorsements. Responses received before then did not cover it, and its public page will say when it was named.
`,
  },
];

export const demoAccounts: readonly DemoAccount[] = [
  {
    email: 'organiser@demo.test',
    password: 'organiser-demo-2026',
    displayName: 'Demo Organiser',
    organisation: 'Open Consultation Demo Team (fictional)',
    segment: 'other',
    segmentOther: 'Consultation organiser',
    role: 'organiser',
  },
  {
    email: 'moderator@demo.test',
    password: 'moderator-demo-2026',
    displayName: 'Demo Moderator',
    organisation: 'Open Consultation Demo Team (fictional)',
    segment: 'other',
    segmentOther: 'Moderator',
    role: 'moderator',
  },
  {
    email: 'founder@demo.test',
    password: 'founder-demo-2026',
    displayName: 'Demo Founder',
    organisation: 'Example Robotics Ltd (fictional)',
    segment: 'founder',
    segmentOther: null,
    role: null,
  },
  {
    email: 'investor@demo.test',
    password: 'investor-demo-2026',
    displayName: 'Demo Investor',
    organisation: 'Sample Ventures LLP (fictional)',
    segment: 'investor',
    segmentOther: null,
    role: null,
  },
] as const;
