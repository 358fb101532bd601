// The baseline worker: a plain functions-framework HTTP function that
// reads the request as the framework hands it over and does nothing.
import { http } from '@google-cloud/functions-framework';

http('noop', (_request, response) => {
  response.end();
});
