import type { AxiosResponse } from "axios"

/** The response of a request that must fail (an error if it succeeds). */
export const errorOf = (promise: Promise<unknown>): Promise<AxiosResponse> =>
  promise.then(
    () => {
      throw new Error("expected the request to fail")
    },
    (e) => {
      if (!e.response) throw e
      return e.response
    }
  )
