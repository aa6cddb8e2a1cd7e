"""The award catalog (titles and commendation forms) as data: below every app that
records, checks, counts or prints awards. See `thidua.awards.catalog`."""
