// Cells of the marketing section: the campaign P&L with each campaign's return, and referrals.

import { buildCampaignRoiBars } from '../../charts/campaign-roi-bars.ts';
import type { ReportContext } from '../context.ts';
import { kpiTable } from './kpi-cells.ts';
import { numberOrNull } from './kpi-charts.ts';

/** The ten campaigns with the most attributed revenue, then the ten costliest by return. */
export async function campaignPnl(r: ReportContext): Promise<void> {
  const pnl = await r.rows('campaign_pnl');
  // The query's totals row has no campaign_id.
  const campaigns = pnl.available ? pnl.rows.filter((row) => row.campaign_id !== null) : [];
  await kpiTable(
    r,
    pnl,
    [
      { field: 'name', header: 'Campaign', unit: 'text' },
      { field: 'channel', header: 'Channel', unit: 'text' },
      { field: 'cost', header: 'Cost', unit: 'money' },
      { field: 'leads', header: 'Leads' },
      { field: 'won_deals', header: 'Won deals' },
      { field: 'revenue', header: 'Revenue', unit: 'money' },
      { field: 'roi', header: 'ROI', unit: 'ratio' },
    ],
    {
      select: () => campaigns,
      limit: 10,
      title: 'Campaign P&L, top 10 by attributed revenue',
      caption: 'Revenue is attributed to the campaign that produced the lead (first touch).',
    },
  );
  const costly = campaigns
    .filter((row) => (numberOrNull(row.cost) ?? 0) > 0)
    .sort((a, b) => Number(b.cost) - Number(a.cost))
    .slice(0, 10);
  if (costly.length === 0) return;
  r.chart(
    buildCampaignRoiBars({
      format: r.format,
      id: 'campaign-roi',
      campaigns: costly.map((row) => ({
        campaign: String(row.name ?? row.campaign_id),
        roi: numberOrNull(row.roi),
        cost: numberOrNull(row.cost),
        revenue: numberOrNull(row.revenue),
      })),
    }),
  );
}

/** "Referrals: 31 leads came from customer referrals this month." */
export async function referralLeads(r: ReportContext): Promise<void> {
  const referrals = await r.kpi('referral_leads');
  if (!referrals.available || !referrals.current) return;
  r.markdown(
    `**Referrals:** ${referrals.current.value ?? 0} leads came from customer referrals this ${r.period.grain}${referrals.companyWide ? ' (company-wide)' : ''}.`,
  );
}
