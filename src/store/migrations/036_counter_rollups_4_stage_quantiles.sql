-- The quantiles of time to each stage, per audience, over a window (the dashboard's day and week,
-- /metrics, the report's range): read in audience order from this index (PostgreSQL skips from
-- audience to audience within the stage), each audience's times sorted on their own, instead of
-- sorting the whole window by audience first (which spilled to disk for a week at 100,000 stories).
CREATE INDEX stage_reached_audience ON stage_reached (stage, audience_id, at) INCLUDE (seconds, unit_id);
