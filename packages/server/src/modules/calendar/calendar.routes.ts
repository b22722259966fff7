import { CalendarYear, CalendarYearView } from '@haitang/contracts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.js';
import { requireActor } from '../auth/auth.plugin.js';
import { getCalendarYear, listCalendarYears, putCalendarYear } from './calendar.service.js';

const YearParams = Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2100 }) });
const tags = ['calendar'];

/** The official working-day calendar the SLA clock runs on; an admin loads each new year. */
export const calendarRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/',
      { schema: { tags, response: { 200: Type.Object({ items: Type.Array(Type.Object({ year: Type.Integer(), source: Type.String(), updatedAt: Type.String() })) }) } } },
      async (req) => {
        requireActor(req);
        return { items: await listCalendarYears(ctx) };
      },
    );
    app.get('/:year', { schema: { tags, params: YearParams, response: { 200: CalendarYearView } } }, async (req) => {
      requireActor(req);
      return getCalendarYear(ctx, req.params.year);
    });
    app.put('/:year', { schema: { tags, params: YearParams, body: CalendarYear, response: { 200: CalendarYearView } } }, async (req) =>
      putCalendarYear(ctx, requireActor(req), req.params.year, req.body),
    );
  };
